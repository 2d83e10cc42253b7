import { z } from 'zod';

/**
 * The OTLP/HTTP JSON shape of an `ExportLogsServiceRequest` (opentelemetry-proto, logs v1), as far
 * as Airlock writes and its hub reads it. Objects are not strict: OTLP senders may add fields.
 */
export type AnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string | number }
  | { doubleValue: number }
  | { arrayValue: { values?: AnyValue[] } }
  | { kvlistValue: { values?: KeyValue[] } }
  | { bytesValue: string };

export interface KeyValue {
  key: string;
  value?: AnyValue;
}

export const AnyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.union([
    z.object({ stringValue: z.string() }),
    z.object({ boolValue: z.boolean() }),
    z.object({ intValue: z.union([z.string().regex(/^-?\d+$/), z.number().int()]) }),
    z.object({ doubleValue: z.number() }),
    z.object({ arrayValue: z.object({ values: z.array(AnyValueSchema).optional() }) }),
    z.object({ kvlistValue: z.object({ values: z.array(KeyValueSchema).optional() }) }),
    z.object({ bytesValue: z.string() }),
  ]),
);

export const KeyValueSchema: z.ZodType<KeyValue> = z.lazy(() => z.object({ key: z.string(), value: AnyValueSchema.optional() }));

/** Nanoseconds since the epoch: a decimal string (64-bit) in OTLP JSON, a number from some senders. */
const NanosSchema = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().nonnegative()]);

export const LogRecordSchema = z.object({
  timeUnixNano: NanosSchema.optional(),
  observedTimeUnixNano: NanosSchema.optional(),
  severityNumber: z.number().int().min(0).max(24).optional(),
  severityText: z.string().optional(),
  body: AnyValueSchema.optional(),
  attributes: z.array(KeyValueSchema).optional(),
});
export type LogRecord = z.infer<typeof LogRecordSchema>;

export const ExportLogsServiceRequestSchema = z.object({
  resourceLogs: z.array(
    z.object({
      resource: z.object({ attributes: z.array(KeyValueSchema).optional() }).optional(),
      scopeLogs: z.array(
        z.object({
          scope: z.object({ name: z.string().optional(), version: z.string().optional() }).optional(),
          logRecords: z.array(LogRecordSchema),
        }),
      ),
    }),
  ),
});
export type ExportLogsServiceRequest = z.infer<typeof ExportLogsServiceRequestSchema>;

/** The plain value of an attribute (arrays become arrays), or undefined when absent. */
export function attributeValue(attributes: readonly KeyValue[] | undefined, key: string): unknown {
  const value = attributes?.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : plainValue(value);
}

function plainValue(value: AnyValue): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(plainValue);
  if ('kvlistValue' in value) return Object.fromEntries((value.kvlistValue.values ?? []).map((kv) => [kv.key, kv.value && plainValue(kv.value)]));
  return value.bytesValue;
}
