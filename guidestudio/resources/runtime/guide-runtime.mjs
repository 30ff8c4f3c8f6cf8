// ES module entry: `import GuideStudio from './guide-runtime.mjs'`.
// In Node the classic file is CommonJS (its module.exports is the default export); in a browser
// it runs as a module that sets globalThis.GuideStudio.
import * as runtime from './guide-runtime.js';

const GuideStudio = runtime.default || globalThis.GuideStudio;
export default GuideStudio;
export const {init, targeting, version, FORMAT_VERSION} = GuideStudio;
