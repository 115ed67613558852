/**
 * What discovery could not place into berth's schema, or placed with doubt, each with the field it
 * concerns (when there is one), the resource, and why: listed in the text output and in --json.
 */
export interface Note {
  /** `not-placed`: left out of the file; `doubt`: written, but a guess or a simplification. */
  kind: 'not-placed' | 'doubt';
  /** The environment field concerned, e.g. `services[0].pathPattern` or `resources.securityGroups.service`. */
  field?: string;
  /** The AWS resource concerned (id, name or ARN), when there is one. */
  resource?: string;
  why: string;
}

export class Notes {
  readonly list: Note[] = [];
  notPlaced(why: string, at: { field?: string; resource?: string } = {}): void {
    this.list.push({ kind: 'not-placed', ...at, why });
  }
  doubt(why: string, at: { field?: string; resource?: string } = {}): void {
    this.list.push({ kind: 'doubt', ...at, why });
  }
}
