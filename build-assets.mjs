// Builds static/vendor/ from the pinned nhsuk-frontend package.
// The stock CSS pulls the Frutiger font from NHS's CDN and expects images at
// /assets/; we compile the SCSS with the font-face off and our own asset path,
// so the app is self-hosted and works under a strict Content-Security-Policy.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const src = "node_modules/nhsuk-frontend/dist/nhsuk";
const out = "static/vendor/nhsuk";

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const { css } = sass.compileString(
  `@use "nhsuk" with (
     $nhsuk-include-font-face: false,
     $nhsuk-assets-path: "/static/vendor/nhsuk/assets/"
   );`,
  { loadPaths: ["node_modules/nhsuk-frontend/dist"], style: "compressed", quietDeps: true, silenceDeprecations: ["import"] },
);
writeFileSync(`${out}/nhsuk-frontend.min.css`, css);
cpSync(`${src}/nhsuk-frontend.min.js`, `${out}/nhsuk-frontend.min.js`);
cpSync(`${src}/assets`, `${out}/assets`, { recursive: true });
console.log(`built ${out}`);
