import { describe, expect, it } from 'vitest';
import { parsePocketsphinxOutput } from './pocketsphinx-output.js';

// Verbatim shape of `pocketsphinx_continuous -time yes` (Debian 0.8+5prealpha): hypothesis, then timed words.
const OUTPUT = `what is the price
<s> 0.000 0.020 0.999700
what 0.030 0.240 0.512300
is 0.250 0.400 0.800100
<sil> 0.410 0.600 0.999700
the(2) 0.610 0.700 0.700000
price 0.710 1.200 0.600000
[NOISE] 1.210 1.300 0.900000
</s> 1.310 1.500 1.000000
the meeting is tomorrow
<s> 3.000 3.020 0.999700
the 3.030 3.140 0.900000
meeting 3.150 3.560 0.800000
++BREATH++ 3.570 3.600 0.900000
is 3.610 3.700 0.700000
tomorrow 3.710 4.300 0.600000
</s> 4.310 4.500 1.000000
<s> 6.000 6.100 0.999700
<sil> 6.110 6.500 0.999700
</s> 6.510 6.600 1.000000
`;

describe('parsePocketsphinxOutput', () => {
  it('turns each utterance into a timed segment without fillers or pronunciation variants', () => {
    expect(parsePocketsphinxOutput(OUTPUT, 1)).toEqual([
      {
        channel: 1,
        speakerLabel: null,
        startSeconds: 0.03,
        endSeconds: 1.2,
        text: 'what is the price',
        confidence: 0.653,
      },
      {
        channel: 1,
        speakerLabel: null,
        startSeconds: 3.03,
        endSeconds: 4.3,
        text: 'the meeting is tomorrow',
        confidence: 0.75,
      },
    ]);
  });

  it('gives nothing for silence', () => {
    expect(parsePocketsphinxOutput('\n<s> 0.000 0.500 0.999\n</s> 0.510 0.900 1.000\n', null)).toEqual([]);
    expect(parsePocketsphinxOutput('', null)).toEqual([]);
  });
});
