/** Names as a sentence says them: "A, B och C", at most three and then how many more. */
export function namesInWords(names: string[], words: { and: string; more: (count: number) => string }): string {
  const shown = names.length > 3 ? [...names.slice(0, 3), words.more(names.length - 3)] : names;
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} ${words.and} ${shown.at(-1)}`;
}
