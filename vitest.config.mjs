import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "happy-dom",
    include: ["tests/js/**/*.test.js"],
    // A panel's `import "./style.css"` adds its styles to the test document, as anywidget's
    // `_css` does in the notebook (the bundle itself leaves them to cswidgets/static/<panel>.css).
    css: { include: [/\/js\/.*\.css$/] },
  },
});
