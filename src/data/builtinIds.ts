/**
 * The ids of the built-in datasets, apart from their registry (`datasets.ts`), which reads the
 * data manifest as JSON: code that only checks an id (a share link's) needs no more, and the
 * browser tests, which import that code under Node, cannot import JSON without an attribute.
 */
export const BUILTIN_DATASET_IDS = ['mnist', 'fashion-mnist'] as const;

export type BuiltinDatasetId = (typeof BUILTIN_DATASET_IDS)[number];

/** True when `id` names a built-in dataset. */
export function isBuiltinDatasetId(id: string): id is BuiltinDatasetId {
  return (BUILTIN_DATASET_IDS as readonly string[]).includes(id);
}
