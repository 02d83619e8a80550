// The stable entry point serialized providers require at call time: keep this path forever.
module.exports = require("./dist/runtime");
