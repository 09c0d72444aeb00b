// Public API of src/select: named re-exports only.
export {};
