import type { FileDetector } from './fileContext';
import { detectInputFlows } from './input/detectInputFlows';

/**
 * The structural detectors run on every file after the secret scan (route, input …). Each
 * decides cheaply from the text whether the file can concern it before asking for a parse.
 */
export const FILE_DETECTORS: readonly { name: string; detect: FileDetector }[] = [
  { name: 'input', detect: detectInputFlows },
];
