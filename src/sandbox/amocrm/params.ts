/** PHP-style bracket query parameters as amoCRM reads them: `filter[id][]=1`, `filter[id][0]=1`, `filter[id]=1,2`. */
export class BracketParams {
  constructor(private readonly search: URLSearchParams) {}

  get(name: string): string | null {
    return this.search.get(name);
  }

  /** All values of `name[]`, `name[N]` and comma-separated `name`. */
  list(name: string): string[] | null {
    const out: string[] = [];
    let seen = false;
    for (const [k, v] of this.search) {
      if (k === name) {
        seen = true;
        out.push(...v.split(',').filter((x) => x !== ''));
      } else if (k.startsWith(`${name}[`) && /^\[\d*\]$/.test(k.slice(name.length))) {
        seen = true;
        out.push(v);
      }
    }
    return seen ? out : null;
  }

  /** `name[from]`/`name[to]`, or a bare `name=ts` meaning "from". Undefined values stay null. */
  range(name: string): { from: string | null; to: string | null } | null {
    const from = this.search.get(`${name}[from]`) ?? this.search.get(name);
    const to = this.search.get(`${name}[to]`);
    return from === null && to === null ? null : { from, to };
  }

  /** The first `order[field]=asc|desc` pair. */
  order(): { field: string; dir: string } | null {
    for (const [k, v] of this.search) {
      const m = /^order\[(\w+)\]$/.exec(k);
      if (m) return { field: m[1]!, dir: v.toLowerCase() };
    }
    return null;
  }

  /** `with=a,b` as a set. */
  with(): Set<string> {
    return new Set((this.search.get('with') ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  }

  /** The same query with `page` replaced, for _links. */
  withPage(page: number): string {
    const copy = new URLSearchParams(this.search);
    copy.set('page', String(page));
    return copy.toString();
  }
}
