// Bundles each panel entry (js/<panel>/index.js) into one self-contained ES module,
// cswidgets/static/<panel>.js (anywidget loads `_esm` from a single file: no code splitting), and
// the stylesheets it imports into cswidgets/static/<panel>.css (the widget's `_css`).
//   node js/build.mjs                       production build (minified)
//   node js/build.mjs --watch --sourcemap=inline   development (use with ANYWIDGET_HMR=1)
import * as esbuild from "esbuild";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, "..", "cswidgets", "static");
const entryPoints = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "index.js")))
  .map((d) => ({ in: join(here, d.name, "index.js"), out: d.name }));
const watch = process.argv.includes("--watch");
// A production build starts clean: a renamed or removed panel must not leave its old bundle to be
// packaged. (Watch mode keeps the files, which open widgets are reading for hot reload.)
mkdirSync(outdir, { recursive: true });
if (!watch) for (const f of readdirSync(outdir)) if (/\.(js|css|map)$/.test(f)) rmSync(join(outdir, f));
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
