import { z } from 'zod';
import data from './safePrivateAttributes.json' with { type: 'json' };

/**
 * The safe private list (PS3.15 E.3.10): private attributes identified by Private Creator, group and the
 * element's low byte (PS3.5 7.8.1: the high byte is the block the creator reserved, and varies by file).
 */
export const SafePrivateAttributeSchema = z
  .object({
    creator: z.string().min(1).max(64),
    group: z.string().regex(/^[0-9A-F]{3}[13579BDF]$/),
    element: z.string().regex(/^[0-9A-F]{2}$/),
    source: z.string().min(1),
  })
  .strict();
export type SafePrivateAttribute = z.infer<typeof SafePrivateAttributeSchema>;

export const SafePrivateListSchema = z.object({ source: z.string(), attributes: z.array(SafePrivateAttributeSchema) }).strict();

export const defaultSafePrivateAttributes: readonly SafePrivateAttribute[] = SafePrivateListSchema.parse(data).attributes;

/** A lookup of the list: is element `tag` of the block reserved by `creator` safe to keep? */
export function safePrivateMatcher(list: readonly SafePrivateAttribute[]): (creator: string, tag: number) => boolean {
  const keys = new Set(list.map((a) => `${a.creator.trim()}|${a.group}|${a.element}`));
  return (creator, tag) => {
    const group = (tag >>> 16).toString(16).toUpperCase().padStart(4, '0');
    const element = (tag & 0xff).toString(16).toUpperCase().padStart(2, '0');
    return keys.has(`${creator.trim()}|${group}|${element}`);
  };
}
