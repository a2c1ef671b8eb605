export { CartPoleEnv, type CartPoleOptions } from './cartpole.js';
