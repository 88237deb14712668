// A lesson with one exercise of each kind that asks the other way round, shared by the lesson
// parser's tests and the lesson panel's. Hand-worked: the scene has 8 rows, a 3×3 kernel and
// stride 2, so ⌊(8 − 3) / 2⌋ + 1 = 3 rows, and padding 1 gives ⌊7 / 2⌋ + 1 = 4; the broken model
// makes 16 channels on line 2 and expects 32 on line 3.
#pragma once

namespace convtutor::testing {

inline constexpr const char* kOtherKindsLesson = R"md(# Kinds

```scene
{"id": "s", "op": "conv2d", "input": {"shape": [1, 8, 8]}, "weights": {"shape": [1, 1, 3, 3]}, "stride": 2}
```

```exercise
{"id": "pad", "kind": "inverse", "scene": "s", "find": "padding", "target": 4,
 "question": "Which padding gives 4 rows?"}
```

```model net
Input(28, 28, 1)
Conv2D(32, (5, 5))
```

```exercise
{"id": "w", "kind": "weight_shape", "model": "net", "layer": 1, "framework": "tensorflow",
 "question": "What shape has tf.nn.conv2d's filter?"}
```

```model bad broken
Input(3, 32, 32)
nn.Conv2d(3, 16, 3)
nn.Conv2d(32, 8, 3)
```

```exercise
{"id": "line", "kind": "find_line", "model": "bad", "question": "Which line fails?"}
```

```exercise
{"id": "c", "kind": "choice", "question": "How many rows?",
 "choices": [{"text": "3", "why": "floor((8 - 3) / 2) + 1", "right": true,
              "claim": {"value": "s.output_height", "is": "3"}},
             {"text": "4", "why": "that needs padding",
              "claim": {"value": "s.output_height", "is": "4"}}]}
```
)md";

}  // namespace convtutor::testing
