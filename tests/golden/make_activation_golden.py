#!/usr/bin/python3
# Writes tests/golden/activation_cases.json: one row of values through an activation as a model
# writes it (Keras and PyTorch, a layer of its own, a function in forward, or a layer's activation=),
# each with PyTorch's own output for that function, so test_layer_scene holds the tutor's model run
# (LayerInputFrom) to an independent oracle. Run with Debian's python3-torch:
#   /usr/bin/python3 tests/golden/make_activation_golden.py
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))

# The values the row carries: both signs, small and large, and 0.
VALUES = [-8.0, -4.0, -3.0, -2.5, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 2.5, 3.0, 4.0, 8.0, 25.0]
WIDTH = len(VALUES)

KERAS = "Input(1, %d, 1)\n{}\nMaxPooling2D(1)\n" % WIDTH
TORCH_STACK = "Input(1, 1, %d)\nnn.Sequential({}, nn.MaxPool2d(1))\n" % WIDTH
TORCH_CLASS = """class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool2d(1)

    def forward(self, x):
        return self.pool({})

x = torch.randn(1, 1, 1, %d)
""" % WIDTH

# (how the model writes it, what PyTorch computes)
CASES = [
    (KERAS.format("LeakyReLU()"), lambda x: F.leaky_relu(x, 0.3)),  # Keras's layer: 0.3
    (KERAS.format("LeakyReLU(alpha=0.1)"), lambda x: F.leaky_relu(x, 0.1)),
    (KERAS.format("Activation('elu')"), F.elu),
    (KERAS.format("Activation('selu')"), F.selu),
    (KERAS.format("Activation('gelu')"), F.gelu),
    (KERAS.format("Activation('swish')"), F.silu),
    (KERAS.format("Activation('softplus')"), F.softplus),
    (KERAS.format("Activation('softsign')"), F.softsign),
    (KERAS.format("Activation(activation=tf.nn.leaky_relu)"), lambda x: F.leaky_relu(x, 0.2)),
    (TORCH_STACK.format("nn.LeakyReLU()"), lambda x: F.leaky_relu(x, 0.01)),  # PyTorch: 0.01
    (TORCH_STACK.format("nn.LeakyReLU(0.2, inplace=True)"), lambda x: F.leaky_relu(x, 0.2)),
    (TORCH_STACK.format("nn.ELU(alpha=0.5)"), lambda x: F.elu(x, 0.5)),
    (TORCH_STACK.format("nn.GELU()"), F.gelu),
    (TORCH_STACK.format("nn.GELU(approximate='tanh')"), lambda x: F.gelu(x, approximate="tanh")),
    (TORCH_STACK.format("nn.SiLU()"), F.silu),
    (TORCH_STACK.format("nn.Mish()"), F.mish),
    (TORCH_STACK.format("nn.Hardswish()"), F.hardswish),
    (TORCH_STACK.format("nn.Softplus()"), F.softplus),
    (TORCH_CLASS.format("F.leaky_relu(x, 0.2)"), lambda x: F.leaky_relu(x, 0.2)),
    (TORCH_CLASS.format("F.leaky_relu(x, negative_slope=0.05)"), lambda x: F.leaky_relu(x, 0.05)),
    (TORCH_CLASS.format("F.elu(x)"), F.elu),
    (TORCH_CLASS.format("F.gelu(x)"), F.gelu),
    (TORCH_CLASS.format("F.silu(x)"), F.silu),
    (TORCH_CLASS.format("F.hardswish(x)"), F.hardswish),
]


def main():
    x = torch.tensor(VALUES, dtype=torch.float32)
    cases = []
    for model, function in CASES:
        cases.append({"model": model, "input": VALUES, "output": [float(f"{v:.8g}") for v in function(x).tolist()]})
    with open(os.path.join(HERE, "activation_cases.json"), "w") as out:
        json.dump({"made_by": "tests/golden/make_activation_golden.py", "torch": torch.__version__, "cases": cases},
                  out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
