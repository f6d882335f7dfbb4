import { runMochaSuite } from '../../mochaEntry';

export function run(): Promise<void> {
  return runMochaSuite(__dirname);
}
