/** An error in words, announced to screen readers as it appears. */
export function ErrorMessage({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
