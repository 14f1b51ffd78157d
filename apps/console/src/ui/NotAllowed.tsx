import { Empty } from './feedback';

/** A page the signed-in role may not use: said plainly, nothing asked of the API. */
export function NotAllowed({ what }: { what: string }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" className="visually-hidden">
        Not allowed
      </h1>
      <Empty title={`Your role may not ${what}`}>
        <p>Ask an admin if you need to.</p>
      </Empty>
    </section>
  );
}
