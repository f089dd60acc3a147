// Mermaid flowchart text of a task graph. Node names are generated (t0, t1, ...) and ids go in
// quoted labels, so any id is safe to show.

/** Escapes a label for a Mermaid quoted string. */
function label(id: string): string {
  return id.replace(/"/g, '#quot;');
}

/**
 * A Mermaid `flowchart` of tasks and their dependencies; with `status`, nodes get a class per
 * status (succeeded, failed, ...) styled in the output.
 */
export function toMermaid(ids: readonly string[], dependsOn: (i: number) => readonly number[], status?: (i: number) => string): string {
  const lines = ['flowchart TD'];
  for (let i = 0; i < ids.length; i++) lines.push(`  t${i}["${label(ids[i])}"]${status ? `:::${status(i)}` : ''}`);
  for (let i = 0; i < ids.length; i++) for (const d of dependsOn(i)) lines.push(`  t${d} --> t${i}`);
  if (status) {
    lines.push(
      '  classDef succeeded fill:#d4f7d4,stroke:#2e7d32',
      '  classDef failed fill:#fdd,stroke:#c62828',
      '  classDef skipped fill:#eee,stroke:#9e9e9e,stroke-dasharray:3',
      '  classDef cancelled fill:#fff3cd,stroke:#b26a00',
      '  classDef running fill:#dbeafe,stroke:#1d4ed8',
      '  classDef suspended fill:#f3e8ff,stroke:#7e22ce',
    );
  }
  return lines.join('\n');
}
