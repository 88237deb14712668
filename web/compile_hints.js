//# allFunctionsCalledOnLoad
// Goes first in convtutor.js (emcc --extern-pre-js). The magic comment on the line above (V8's
// explicit compile hints; it must open the file) has Chromium compile every function of the
// script as it loads, off the main thread, instead of one by one on the main thread at its first
// call: nearly all of convtutor.js runs during the start-up. Browsers without it read a comment.
