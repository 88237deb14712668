// Changing a picture's size without weights, as a model's padding, cropping, upsampling and
// adaptive pooling rows do: zeros around it or cells cut off (Keras's ZeroPadding2D and Cropping2D,
// PyTorch's F.pad); each side scaled, every new cell taken from the nearest cell or blended from
// its neighbours, bilinear or bicubic (nn.Upsample, F.interpolate, UpSampling2D); or pooled to a
// given size (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d).
#pragma once

#include "convtutor/scene.h"
#include "convtutor/tensor.h"

namespace convtutor {

// `volume` with `sides` rows and columns of zeros around each channel; a negative side crops that
// many cells instead (PyTorch's F.pad, Keras's Cropping2D). Each resulting side must be at least 1.
Volume ZeroPadded(const Volume& volume, const Sides& sides);

enum class ResizeMode { kNearest, kBilinear, kBicubic };

struct ResizeSpec {
  ResizeMode mode = ResizeMode::kNearest;
  // Bilinear and bicubic: the corner cells of the input and the output sit on each other, and the cells between
  // are spread evenly (PyTorch's align_corners=True); otherwise cells are squares whose centres are
  // mapped (align_corners=False, Keras's and TensorFlow 2's only way).
  bool align_corners = false;
  // The factor a side was scaled by, when one was asked (scale_factor=1.5): PyTorch then maps an
  // output cell back by 1 / factor. 0 when a size was asked: it maps by input / output size.
  double scale_factor_rows = 0.0;
  double scale_factor_cols = 0.0;
};

// `volume` at `height` × `width` (each at least 1), every channel on its own, as PyTorch's
// F.interpolate computes it (nearest: the cell ⌊out · scale⌋; bilinear: the four cells around the
// mapped point, weighted by their nearness; bicubic: the sixteen around it, by Keys's cubic with
// a = −0.75, cells past the edge taken from the edge).
Volume Resized(const Volume& volume, int height, int width, const ResizeSpec& spec);

// `volume` pooled to `height` × `width` whatever its size, as PyTorch's adaptive pooling does it
// (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d): output cell i along an axis of n input cells
// covers cells ⌊i·n / out⌋ up to ⌈(i + 1)·n / out⌉, so windows may overlap; the mean or the largest.
Volume AdaptivePooled(const Volume& volume, int height, int width, bool largest);

}  // namespace convtutor
