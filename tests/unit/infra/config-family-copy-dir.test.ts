// FAMILY_COPY_DIR: the folder of the family copy's language files, the shipped one by default; a
// single file where a folder belongs is refused with the configuration's other problems.

import { describe, expect, it } from 'vitest';
import { ConfigError, defaultFamilyCopyDir, loadConfig, summarizeConfig } from '../../../infra/config.js';

describe('FAMILY_COPY_DIR', () => {
  it('defaults to the shipped Swedish and English, and names the folder in the start-up summary', () => {
    const config = loadConfig({ BOT_MODE: 'local' });
    expect(config.familyCopyDir).toBe(defaultFamilyCopyDir);
    expect(defaultFamilyCopyDir).toBe('config/familjens-plan');
    expect(summarizeConfig(config).familyCopyDir).toBe(defaultFamilyCopyDir);
    expect(loadConfig({ BOT_MODE: 'local', FAMILY_COPY_DIR: 'config/kommunen' }).familyCopyDir).toBe(
      'config/kommunen',
    );
  });

  it('refuses a single YAML file where the folder of language files belongs', () => {
    const refused = (() => {
      try {
        loadConfig({ BOT_MODE: 'local', FAMILY_COPY_DIR: 'config/familjens-plan/sv.yaml' });
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).problems).toEqual([
      expect.stringMatching(/^FAMILY_COPY_DIR: ska vara en mapp med en YAML-fil per språk/),
    ]);
  });
});
