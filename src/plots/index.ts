// Public API of src/plots: named re-exports only.
export {};
