import { version } from '../../package.json';

/** The product version, from package.json at build time. */
export const SHIPSHAPE_VERSION: string = version;
