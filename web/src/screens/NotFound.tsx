import { Link } from 'react-router';

export function NotFound() {
  return (
    <main className="centered-page">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the inbox</Link>
      </p>
    </main>
  );
}
