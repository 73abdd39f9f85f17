// For `npm run typecheck` only: a panel imports its stylesheet for the build to emit
// (cswidgets/static/<panel>.css); the import itself gives nothing.
declare module "*.css";
