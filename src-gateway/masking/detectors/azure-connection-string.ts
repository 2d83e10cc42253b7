import type { Detector, Span } from '../mask-types.js';
import { isAlnumCode } from '../validators/boundaries.js';

/** The settings that make a connection string a credential; without one it only names an endpoint. */
const CREDENTIAL = /(?:^|;)(?:AccountKey|SharedAccessKey|SharedAccessSignature)=[^;]{8,}/;
const STORAGE_ACCOUNT = /(?:^|;)AccountName=[^;]+/;
const SAS_ENDPOINT = /^(?:Blob|Queue|Table|File)?Endpoint=https?:\/\//;

/** A connection string ends where its last `name=value` ends; trailing punctuation belongs to the prose. */
function connectionStringSpan(match: RegExpExecArray): Span {
  const trimmed = match[0].replace(/[.,;)\]}]+$/, '');
  return [match.index, match.index + trimmed.length];
}

function isCredential(value: string, text: string, start: number): boolean {
  // A connection string starts at a word's start; inside a word the pattern has caught the tail of something else.
  if (start > 0 && isAlnumCode(text.charCodeAt(start - 1))) return false;
  if (!CREDENTIAL.test(value)) return false;
  if (value.startsWith('DefaultEndpointsProtocol=')) return STORAGE_ACCOUNT.test(value);
  return value.startsWith('Endpoint=sb://') || SAS_ENDPOINT.test(value);
}

/**
 * Azure Storage (`DefaultEndpointsProtocol=…;AccountName=…;AccountKey=…`), Service Bus and Event Hubs
 * (`Endpoint=sb://…;SharedAccessKeyName=…;SharedAccessKey=…`) and SAS (`BlobEndpoint=…;SharedAccessSignature=…`)
 * connection strings, whole.
 */
export const azureConnectionString: Detector = {
  name: 'azure-connection-string',
  label: 'AZURE_CONNECTION',
  style: 'full',
  pattern: '(?:DefaultEndpointsProtocol|(?:Blob|Queue|Table|File)?Endpoint)=[^\\s"\'<>]{1,2048}',
  prefilter: ['='],
  span: connectionStringSpan,
  validate: isCredential,
};
