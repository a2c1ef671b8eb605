/**
 * TensorFlow.js backend selection, the one documented fallback order of the project
 * (ecosystem.md §1): `@tensorflow/tfjs-node` ('tensorflow') when it loads — it is an optional
 * dependency whose install needs the internet — else the wasm backend (SIMD, one thread in Node),
 * else the pure-JS cpu backend. `TFJS_BACKEND=tensorflow|wasm|cpu` forces one, and then a failure
 * is an error, not a fallback. Every training summary prints the backend chosen.
 */
import * as tf from '@tensorflow/tfjs';
import { DammGymError } from '../../env/core/errors.js';

export const TFJS_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TfjsBackend = (typeof TFJS_BACKENDS)[number];

/** No backend could be initialised, or the one TFJS_BACKEND asked for failed. */
export class TfjsBackendError extends DammGymError {}

let chosen: Promise<TfjsBackend> | null = null;

async function tryBackend(name: TfjsBackend): Promise<void> {
  if (name === 'tensorflow') {
    // a variable specifier keeps TypeScript and bundlers from requiring the optional package
    const pkg = '@tensorflow/tfjs-node';
    await import(pkg);
  } else if (name === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

/**
 * Initialise TensorFlow.js once per process and return the backend in use. `prefer` (default: the
 * TFJS_BACKEND environment variable) forces one backend.
 */
export function initTfjsBackend(prefer: string | undefined = process.env.TFJS_BACKEND): Promise<TfjsBackend> {
  chosen ??= (async () => {
    tf.enableProdMode();
    if (prefer !== undefined && prefer !== '') {
      if (!(TFJS_BACKENDS as readonly string[]).includes(prefer)) {
        throw new TfjsBackendError(`TFJS_BACKEND=${JSON.stringify(prefer)} is not a backend; allowed: ${TFJS_BACKENDS.join(', ')}`);
      }
      try {
        await tryBackend(prefer as TfjsBackend);
      } catch (err) {
        throw new TfjsBackendError(`TFJS_BACKEND=${prefer}: the backend failed to initialise: ${(err as Error).message}`, { cause: err });
      }
      return prefer as TfjsBackend;
    }
    const failures: string[] = [];
    for (const name of TFJS_BACKENDS) {
      try {
        await tryBackend(name);
        return name;
      } catch (err) {
        failures.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    throw new TfjsBackendError(`no TensorFlow.js backend could be initialised (${failures.join('; ')})`);
  })();
  // a failed initialisation may be retried (e.g. with another TFJS_BACKEND)
  chosen.catch(() => { chosen = null; });
  return chosen;
}
