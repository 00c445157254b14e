import { describe, expect, it } from 'vitest';
import { SOURCE_CHANNEL_KEY, dixaChannelOf } from './conversation-channels.js';

describe('dixaChannelOf', () => {
  it('names the channel of each inbox type', () => {
    expect(dixaChannelOf({ channelType: 'web_widget' })).toBe('WidgetChat');
    expect(dixaChannelOf({ channelType: 'email' })).toBe('Email');
    expect(dixaChannelOf({ channelType: 'sms' })).toBe('Sms');
    expect(dixaChannelOf({ channelType: 'whatsapp' })).toBe('WhatsApp');
    expect(dixaChannelOf({ channelType: 'voice' })).toBe('PstnPhone');
    expect(dixaChannelOf({ channelType: 'api' })).toBe('WidgetChat');
  });

  it('uses the channel recorded on the conversation when the inbox can carry it', () => {
    const recorded = (channel: string) => ({ [SOURCE_CHANNEL_KEY]: channel });

    expect(dixaChannelOf({ channelType: 'api', additionalAttributes: recorded('Messenger') })).toBe(
      'Messenger',
    );
    expect(dixaChannelOf({ channelType: 'email', additionalAttributes: recorded('ContactForm') })).toBe(
      'ContactForm',
    );
    expect(dixaChannelOf({ channelType: 'voice', additionalAttributes: recorded('Callback') })).toBe(
      'Callback',
    );
  });

  it('ignores a recorded channel the inbox cannot carry, or one that is no channel', () => {
    expect(
      dixaChannelOf({ channelType: 'sms', additionalAttributes: { [SOURCE_CHANNEL_KEY]: 'Email' } }),
    ).toBe('Sms');
    expect(dixaChannelOf({ channelType: 'api', additionalAttributes: { [SOURCE_CHANNEL_KEY]: 'Fax' } })).toBe(
      'WidgetChat',
    );
  });
});
