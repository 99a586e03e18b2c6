// bpmnlint wiring without bpmnlint-loader (Vite has none): a resolver that hands bpmnlint our
// rules as the package "bpmnlint-plugin-cc", and a config enabling every one as an error.
import type { Finding, RuleName } from './rules';
import { analyse, RULES } from './rules';

/* eslint-disable @typescript-eslint/no-explicit-any */
interface Reporter { report(id: string, message: string): void }

// One lint run applies every rule synchronously to the same tree: analyse once per run.
let cached: { root: unknown; findings: Finding[] } | null = null;

function findingsOf(root: unknown, published: string[] | null): Finding[] {
  if (cached && cached.root === root) return cached.findings;
  const findings = analyse(root, published);
  cached = { root, findings };
  queueMicrotask(() => { cached = null; });
  return findings;
}

function ruleFactory(rule: RuleName, published: () => string[] | null) {
  return () => ({
    check: {
      enter(node: any, reporter: Reporter): boolean | void {
        if (node.$type !== 'bpmn:Definitions') return;
        for (const finding of findingsOf(node, published())) {
          // A problem without an element (no process at all) goes on the document itself.
          if (finding.rule === rule) reporter.report(finding.id ?? node.id, finding.message);
        }
        return false;
      },
    },
  });
}

/** The `linting.bpmnlint` config of bpmn-js-bpmnlint; `published` gives the keys call activities may name. */
export function linterConfig(published: () => string[] | null) {
  const factories = new Map(RULES.map(rule => [rule, ruleFactory(rule, published)]));
  return {
    config: { rules: Object.fromEntries(RULES.map(rule => [`cc/${rule}`, 'error'])) },
    resolver: {
      resolveRule(pkg: string, ruleName: string) {
        return pkg === 'bpmnlint-plugin-cc' ? factories.get(ruleName as RuleName) ?? null : null;
      },
      resolveConfig() { return null; },
    },
  };
}

/** An issue as the designer lists it: `cc/rule`, element (null: the document) and message. */
export interface LintIssue { rule: string; elementId: string | null; message: string }

/** bpmn-js-bpmnlint's `linting.completed` issues (grouped by the element they are shown on) as a flat list. */
export function flattenIssues(issues: Record<string, { rule: string; message: string; id: string; actualElementId?: string }[]>): LintIssue[] {
  const list: LintIssue[] = [];
  for (const reports of Object.values(issues)) {
    for (const report of reports) list.push({ rule: report.rule, elementId: report.actualElementId ?? report.id ?? null, message: report.message });
  }
  return list;
}
