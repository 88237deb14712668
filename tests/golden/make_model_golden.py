#!/usr/bin/python3
# Writes tests/golden/model_cases.json: PyTorch models written as nn.Module classes, each with the
# per-layer output shapes and parameters PyTorch itself reports, so test_model can hold
# SummarizeModel to an independent oracle. Run with Debian's python3-torch:
#   /usr/bin/python3 tests/golden/make_model_golden.py
# Each source is exec'd as written; torch.fx traces forward in call order (nested calls, nn.Sequential
# members expanded) and ShapeProp gives every step's output shape.
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.fx import symbolic_trace
from torch.fx.passes.shape_prop import ShapeProp, TensorMetadata

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n"

MODELS = {
    # The classic tutorial net: self.pool is called twice.
    "tutorial_net": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x

x = torch.randn(1, 3, 32, 32)
""",
    # One convolution with weights applied twice (its weights count once), x.view(-1, N).
    "shared_convolution": """
class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv_in = nn.Conv2d(1, 8, 3, padding=1)
        self.conv_again = nn.Conv2d(8, 8, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc = nn.Linear(8 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv_in(x)))
        x = self.conv_again(x)
        x = self.pool(F.relu(self.conv_again(x)))
        x = x.view(-1, 8 * 7 * 7)
        return self.fc(x)

x = torch.randn(1, 1, 28, 28)
""",
    # nn.Sequential members, expanded in place.
    "sequential_members": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1),
            nn.BatchNorm2d(8),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.Linear(8 * 14 * 14, 10))

    def forward(self, x):
        x = self.features(x)
        return self.classifier(x)

x = torch.randn(1, 1, 28, 28)
""",
    # Padding, stride and dilation on a rectangle; functional pooling with padding; view(x.size(0), -1).
    "padding_stride_dilation": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(16, 32, (3, 5), dilation=2, padding=(2, 1), bias=False)
        self.fc = nn.Linear(32 * 10 * 5, 4)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(self.conv2(x), 3, 2, padding=1)
        x = x.view(x.size(0), -1)
        return self.fc(x)

x = torch.randn(1, 3, 37, 29)
""",
    # Average pooling with ceil_mode, nn.functional spelled out, adaptive pooling, a reshape back to
    # an image, x.flatten(1).
    "average_pooling_ceil_mode": """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 12, 3)
        self.avg = nn.AvgPool2d(3, stride=2, ceil_mode=True)
        self.fc = nn.Linear(12 * 7 * 7, 2 * 6 * 6)
        self.conv_out = nn.Conv2d(2, 4, 3)

    def forward(self, x):
        x = self.avg(F.relu(self.conv(x)))
        x = torch.nn.functional.avg_pool2d(x, 2, ceil_mode=True)
        x = self.fc(torch.flatten(x, 1))
        x = x.reshape(x.size(0), 2, 6, 6)
        x = self.conv_out(x)
        x = F.adaptive_avg_pool2d(x, (1, 1))
        return x.flatten(1)

x = torch.randn(1, 3, 30, 30)
""",
}


def shape_without_batch(meta):
    return list(meta.shape)[1:]


def golden_case(name, body):
    source = HEADER + body.lstrip("\n")
    scope = {}
    exec(source, scope)
    model = scope["Net"]()
    model.eval()
    traced = symbolic_trace(model)
    ShapeProp(traced).propagate(scope["x"])
    modules = dict(traced.named_modules())
    counted = set()
    rows = []
    for node in traced.graph.nodes:
        meta = node.meta.get("tensor_meta")
        if node.op == "output" or not isinstance(meta, TensorMetadata):
            continue  # x.size(0) and the like: numbers, not layers
        parameters = 0
        if node.op == "call_module" and node.target not in counted:
            counted.add(node.target)
            parameters = sum(p.numel() for p in modules[node.target].parameters())
        rows.append({"op": str(node.target) if node.op != "call_function" else node.target.__name__,
                     "shape": shape_without_batch(meta), "parameters": parameters})
    total = sum(p.numel() for p in model.parameters())
    assert sum(row["parameters"] for row in rows) == total, name
    return {"name": name, "source": source, "rows": rows, "total_parameters": total}


def main():
    cases = [golden_case(name, body) for name, body in MODELS.items()]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "model_cases.json")
    with open(path, "w") as out:
        json.dump({"generator": "tests/golden/make_model_golden.py", "torch": torch.__version__, "models": cases},
                  out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
