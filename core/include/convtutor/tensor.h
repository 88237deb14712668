// Dense float tensors of the core. Everything inside the core is channels-first
// (C,H,W for activations, O,I,kh,kw for weights); layouts are converted at the boundaries.
#pragma once

#include <cstddef>
#include <vector>

namespace convtutor {

// An activation volume, C×H×W, row-major, channels first.
struct Volume {
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<float> values;

  static Volume Zeros(int channels, int height, int width) {
    return Volume{channels, height, width,
                  std::vector<float>(static_cast<std::size_t>(channels) * static_cast<std::size_t>(height) *
                                     static_cast<std::size_t>(width))};
  }
  std::size_t Index(int c, int y, int x) const {
    return (static_cast<std::size_t>(c) * static_cast<std::size_t>(height) + static_cast<std::size_t>(y)) *
               static_cast<std::size_t>(width) +
           static_cast<std::size_t>(x);
  }
  float At(int c, int y, int x) const { return values[Index(c, y, x)]; }
  float& At(int c, int y, int x) { return values[Index(c, y, x)]; }
};

// Convolution weights, O×I×kh×kw as PyTorch stores them.
struct FilterBank {
  int filters = 0;   // O: output channels
  int channels = 0;  // I: input channels each filter spans
  int height = 0;    // kh
  int width = 0;     // kw
  std::vector<float> values;

  static FilterBank Zeros(int filters, int channels, int height, int width) {
    return FilterBank{filters, channels, height, width,
                      std::vector<float>(static_cast<std::size_t>(filters) * static_cast<std::size_t>(channels) *
                                         static_cast<std::size_t>(height) * static_cast<std::size_t>(width))};
  }
  std::size_t Index(int o, int c, int ky, int kx) const {
    return ((static_cast<std::size_t>(o) * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)) *
                static_cast<std::size_t>(height) +
            static_cast<std::size_t>(ky)) *
               static_cast<std::size_t>(width) +
           static_cast<std::size_t>(kx);
  }
  float At(int o, int c, int ky, int kx) const { return values[Index(o, c, ky, kx)]; }
  float& At(int o, int c, int ky, int kx) { return values[Index(o, c, ky, kx)]; }
};

}  // namespace convtutor
