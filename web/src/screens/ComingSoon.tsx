import { useEffect } from 'react';

/** A section whose screen comes in a later release: the navigation already leads here. */
export default function ComingSoon({ title }: { title: string }) {
  useEffect(() => {
    document.title = `${title} · Parley`;
  }, [title]);
  return (
    <section className="coming-soon" aria-labelledby="section-title">
      <h1 id="section-title">{title}</h1>
      <p>This screen is not in the web app yet. Its data is available through the API.</p>
    </section>
  );
}
