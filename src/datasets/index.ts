// Public API of src/datasets: named re-exports only.
export {};
