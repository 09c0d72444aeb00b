// Public API of src/probe: named re-exports only.
export {};
