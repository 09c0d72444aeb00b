// Public API of src/similarity: named re-exports only.
export {};
