import { describe, expect, it } from 'vitest';
import { gsmSeptets, isGsmText, segmentSms, toGsmText } from './sms-encoding.js';

describe('SMS encoding and parts', () => {
  it('keeps GSM texts in 7-bit: 160 septets in one part, then 153 per part', () => {
    expect(segmentSms('a'.repeat(160))).toMatchObject({ encoding: 'GSM', units: 160, parts: 1 });
    expect(segmentSms('a'.repeat(161))).toMatchObject({ encoding: 'GSM', units: 161, parts: 2 });
    expect(segmentSms('a'.repeat(306)).parts).toBe(2);
    expect(segmentSms('a'.repeat(307)).parts).toBe(3);
    // Accented letters of the basic table (é, à, ü, Ç, £) stay GSM.
    expect(segmentSms('Café à Zürich, Ç £5').encoding).toBe('GSM');
  });

  it('counts extension characters as two septets and never splits one across parts', () => {
    expect(gsmSeptets('€')).toBe(2);
    expect(gsmSeptets('[')).toBe(2);
    expect(segmentSms('€'.repeat(80))).toMatchObject({ encoding: 'GSM', units: 160, parts: 1 });
    expect(segmentSms('€'.repeat(81))).toMatchObject({ units: 162, parts: 2 });
    // 152 plain + "€": the escape pair does not fit in the first part's last septet.
    const text = `${'a'.repeat(152)}€${'a'.repeat(10)}`;
    expect(segmentSms(text)).toMatchObject({ units: 164, parts: 2 });
    expect(segmentSms(`${'a'.repeat(152)}€${'a'.repeat(152)}`).parts).toBe(3);
  });

  it('switches to UCS-2 for other characters: 70 units alone, 67 per part, surrogate pairs whole', () => {
    expect(isGsmText('Привет')).toBe(false);
    expect(segmentSms('я'.repeat(70))).toMatchObject({ encoding: 'UNICODE', units: 70, parts: 1 });
    expect(segmentSms('я'.repeat(71))).toMatchObject({ encoding: 'UNICODE', parts: 2 });
    expect(segmentSms('я'.repeat(134)).parts).toBe(2);
    expect(segmentSms('я'.repeat(135)).parts).toBe(3);
    // An emoji is two UTF-16 units; 66 units + emoji cannot share the first 67-unit part.
    const emoji = `${'я'.repeat(66)}😀${'я'.repeat(10)}`;
    expect(segmentSms(emoji)).toMatchObject({ encoding: 'UNICODE', units: 78, length: 77, parts: 2 });
    expect(segmentSms('😀'.repeat(35))).toMatchObject({ units: 70, parts: 1 });
  });

  it('forces an encoding when asked', () => {
    expect(segmentSms('hello', 'UNICODE')).toMatchObject({ encoding: 'UNICODE', units: 5, parts: 1 });
    const forced = segmentSms('Crème brûlée – “ok” 😀', 'GSM');
    expect(forced.encoding).toBe('GSM');
    expect(forced.text).toBe('Crème brulée - "ok" ?');
    expect(toGsmText('Ωmega ê')).toBe('Ωmega e');
  });
});
