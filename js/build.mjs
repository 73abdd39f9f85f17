// Bundles each panel entry (js/<panel>.js) into one self-contained ES module under
// cswidgets/static/ (anywidget loads `_esm` from a single file: no code splitting).
//   node js/build.mjs                       production build (minified)
//   node js/build.mjs --watch --sourcemap=inline   development (use with ANYWIDGET_HMR=1)
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", "cswidgets", "static");
const entryPoints = readdirSync(here)
  .filter((f) => f.endsWith(".js"))
  .map((f) => join(here, f));
const watch = process.argv.includes("--watch");
const sourcemap = process.argv.find((a) => a.startsWith("--sourcemap"))?.split("=")[1];

const options = {
  entryPoints,
  outdir,
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: !watch,
  sourcemap: sourcemap ?? false,
  logLevel: "info",
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
