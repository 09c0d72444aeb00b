// Public API of src/backend: named re-exports only.
export { selectTfBackend, setDefaultBackendLog, TF_BACKEND_ORDER } from './tfBackend.js';
export type { TfBackendName, TfBackendSelection, SelectTfBackendOptions } from './tfBackend.js';
export { selectOnnxProviders } from './onnxProviders.js';
export type { OnnxProviderSelection, SelectOnnxProvidersOptions } from './onnxProviders.js';
export { cudaDeviceAnswers } from './cuda.js';
