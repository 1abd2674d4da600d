/** The public entry of src/demo/: what other features and the app module may use. */
export { demoBanner } from './demo-banner.ts';
export { loadDemoData, productionDataProblems } from './load-demo.ts';
