/** The short format names the call API speaks, from ffprobe's demuxer names and codecs. */
export function formatNameOf(input: {
  formatName: string;
  majorBrand: string | null;
  hasVideo: boolean;
  audioCodec: string | null;
}): string {
  const names = input.formatName.split(',');
  const first = names[0] ?? input.formatName;
  if (names.includes('mp4') || names.includes('m4a')) {
    const brand = (input.majorBrand ?? '').trim().toUpperCase();
    if (brand.startsWith('M4A') || (!input.hasVideo && brand === '')) return 'm4a';
    return 'mp4';
  }
  if (names.includes('webm')) {
    return input.audioCodec === 'opus' || input.audioCodec === 'vorbis' ? 'webm' : 'mkv';
  }
  if (first === 'mpeg' || first === 'mpegts') return 'mpeg';
  return first;
}

/** music-metadata's container names, mapped to the same vocabulary (used when ffprobe is absent). */
export function formatNameFromContainer(container: string | undefined, codec: string | undefined): string {
  const value = (container ?? '').toLowerCase();
  if (value.startsWith('wave')) return 'wav';
  if (value === 'mpeg') return 'mp3';
  if (value.startsWith('m4a')) return 'm4a';
  if (value.includes('isom') || value.includes('mp4')) return 'mp4';
  if (value.includes('webm')) return 'webm';
  if (value.includes('ogg')) return 'ogg';
  if (value.includes('flac')) return 'flac';
  return value.split('/')[0] || (codec ?? 'unknown').toLowerCase();
}
