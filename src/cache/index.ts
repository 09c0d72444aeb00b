// Public API of src/cache: named re-exports only.
export {};
