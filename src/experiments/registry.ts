import { experimentE1 } from './e01.js';
import { experimentE2 } from './e02.js';
import { experimentE3 } from './e03.js';
import { experimentE4 } from './e04.js';
import { experimentE5 } from './e05.js';
import { experimentE6 } from './e06.js';
import { experimentE7 } from './e07.js';
import { experimentE8 } from './e08.js';
import { experimentE9 } from './e09.js';
import { experimentE10 } from './e10.js';
import { experimentE11 } from './e11.js';
import type { ExperimentContext, ExperimentId, ExperimentOutput } from './types.js';

/** Experiment functions by id (config in, arquero tables and figures out). */
export const EXPERIMENTS: Record<ExperimentId, (ctx: ExperimentContext) => Promise<ExperimentOutput>> = {
  E1: experimentE1,
  E2: experimentE2,
  E3: experimentE3,
  E4: experimentE4,
  E5: experimentE5,
  E6: experimentE6,
  E7: experimentE7,
  E8: experimentE8,
  E9: experimentE9,
  E10: experimentE10,
  E11: experimentE11,
};
