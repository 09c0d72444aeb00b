// Public API of src/datasets: named re-exports only.
export { loadDataset, listDatasets, parseDatasetName, defaultDatasetRoot, DATASET_NAMES } from './registry.js';
export type { DatasetName, LoadDatasetOptions, DatasetAvailability } from './registry.js';
export type { ImageDataset, DatasetSplit } from './types.js';
export { selectImages, bytesToUnitFloats } from './types.js';
export { parseIdx, readIdxFile, encodeIdx, isGzip } from './idx.js';
export type { IdxArray, IdxType } from './idx.js';
export { trainValSplit, perClassSubset, randomFractionSubset } from './splits.js';
export type { TrainValSplit } from './splits.js';
export {
  loadFashionMnist, locateFashionMnist, downloadFashionMnist, fashionMnistSearchDirs,
  FASHION_MNIST_CLASSES, FASHION_MNIST_FILES, FASHION_MNIST_URL, FASHION_MNIST_DEBIAN_DIR,
} from './fashionMnist.js';
export type { FashionMnistLocation, FashionMnistOptions } from './fashionMnist.js';
export { loadMnistDigits, loadAllMnistDigits, mnistDigitsSplitIndices, mnistDigitsDir, MNIST_DIGITS_TEST_SIZE } from './mnistDigits.js';
export { parseCifarBinary, loadCifar, cifarFolder, CIFAR_FILES, CIFAR_DOWNLOADS } from './cifar.js';
export type { CifarVariant } from './cifar.js';
export { loadFlowers102, flowers102Present, FLOWERS102_DOWNLOADS } from './flowers102.js';
export type { ImageFolderOptions } from './flowers102.js';
export { loadOxfordPets, oxfordPetsPresent, parsePetsList, petsBreed, OXFORD_PETS_DOWNLOADS } from './oxfordPets.js';
export { decodePng, encodePng, isPng } from './png.js';
export type { DecodedImage } from './png.js';
export { decodeImage, readImageFile, toTensorImage, isJpeg } from './imageFile.js';
export { parseMatV5, encodeMatV5 } from './matV5.js';
export type { MatArray } from './matV5.js';
export { readTar, extractTar } from './tar.js';
export type { TarEntry } from './tar.js';
export { downloadVerified, verifyChecksum, sha256Hex, DownloadError } from './download.js';
export type { ExpectedChecksum } from './download.js';
export { downloadDatasetArchives, DATASET_ARCHIVES } from './archives.js';
export type { ArchiveFile } from './archives.js';
