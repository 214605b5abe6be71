/**
 * Help and commander's usage errors in the user's language. Options and commands are declared in
 * English where they are defined; their translations are looked up when help prints, by a key made
 * of the command path and the long flag (src/i18n/help.ts), so a declaration never has to change
 * for a translation. The most specific key wins:
 *
 *   help.callerid.build.--limit  →  help.build.--limit  →  help.--limit
 *   help.export.login            →  help.login
 *
 * (the bin's name loses its `amo-`; shared commands such as login need one entry for all bins).
 */
import { Help, type Command, type Option } from 'commander';
import { format, lookup, type Lang, type Translate } from '../i18n/index.js';
import { DEFAULT_CONCURRENCY } from '../amocrm/rates.js';
import { DEFAULT_DAV_CONCURRENCY } from '../carddav/defaults.js';

/** Values a help text names, filled in where it prints so that it never disagrees with the code. */
const HELP_VALUES = { concurrency: DEFAULT_CONCURRENCY, davConcurrency: DEFAULT_DAV_CONCURRENCY };

/** `amo-callerid build` → ['callerid', 'build']. */
export function commandPath(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  names[0] = names[0]!.replace(/^amo-/, '');
  return names;
}

/** Keys for `suffix` from the most specific to the least; `global` adds the bare `help.<suffix>`. */
export function helpKeys(path: string[], suffix: string, global: boolean): string[] {
  const keys: string[] = [];
  for (let i = 0; i < path.length; i++) keys.push(['help', ...path.slice(i), suffix].filter(Boolean).join('.'));
  if (global && suffix) keys.push(`help.${suffix}`);
  return keys;
}

export function optionFlag(o: Option): string {
  return o.long ?? o.short ?? o.flags;
}

function first(lang: Lang, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = lookup(lang, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** A commander Help configuration that translates at help time. */
export function localizedHelp(lang: () => Lang, t: () => Translate): Partial<Help> {
  let current: Command | undefined;
  const base = Help.prototype;
  return {
    formatHelp(cmd: Command, helper: Help): string {
      current = cmd;
      const text = base.formatHelp.call(this, cmd, helper);
      const footer = first(lang(), helpKeys(commandPath(cmd), 'footer', false));
      return footer ? `${text}\n${footer}\n` : text;
    },
    commandDescription(cmd: Command): string {
      return first(lang(), helpKeys(commandPath(cmd), '', false)) ?? cmd.description();
    },
    subcommandDescription(cmd: Command): string {
      return first(lang(), helpKeys(commandPath(cmd), '', false)) ?? cmd.summary() ?? cmd.description();
    },
    optionDescription(option: Option): string {
      const path = current ? commandPath(current) : [];
      const own = first(lang(), helpKeys(path, optionFlag(option), true));
      const text = own === undefined ? option.description : format(own, HELP_VALUES, lang());
      const extra: string[] = [];
      if (option.argChoices) extra.push(t()('help.meta.choices', { choices: option.argChoices.map((c) => JSON.stringify(c)).join(', ') }));
      const showDefault = option.required || option.optional || (option.isBoolean() && typeof option.defaultValue === 'boolean');
      if (option.defaultValue !== undefined && showDefault) {
        extra.push(t()('help.meta.default', { value: option.defaultValueDescription || JSON.stringify(option.defaultValue) }));
      }
      if (option.presetArg !== undefined && option.optional) extra.push(t()('help.meta.preset', { value: JSON.stringify(option.presetArg) }));
      return extra.length ? `${text} (${extra.join(', ')})` : text;
    },
    styleTitle(title: string): string {
      return lookup(lang(), `help.title.${title.replace(/:$/, '')}`) ?? title;
    },
  };
}

/** What commander's English error messages carry, by error code. */
const USAGE_ERRORS: Record<string, RegExp> = {
  'commander.unknownOption': /^error: unknown option '(?<name>.+?)'/,
  'commander.unknownCommand': /^error: unknown command '(?<name>.+?)'/,
  'commander.missingArgument': /^error: missing required argument '(?<name>.+?)'/,
  'commander.optionMissingArgument': /^error: option '(?<name>.+?)' argument missing/,
  'commander.missingMandatoryOptionValue': /^error: required option '(?<name>.+?)' not specified/,
  'commander.excessArguments': /^error: too many arguments(?: for '(?<command>.+?)')?\. Expected (?<expected>\d+) arguments? but got (?<got>\d+)\./,
  'commander.invalidArgument': /^error: option '(?<name>.+?)' argument '(?<value>.*?)' is invalid\. Allowed choices are (?<choices>.+)\.$/s,
};

/**
 * commander's usage error in the user's language, or the English text for one we do not know.
 * `amo-export frobnicate` reaches a root that has a default action, where commander reports
 * extra operands: with subcommands to choose from, it is an unknown command.
 */
export function localizeUsageError(cmd: Command, message: string, code: string | undefined, t: Translate): string {
  let key = code;
  if (code === 'commander.excessArguments' && !cmd.parent && cmd.commands.length > 0 && cmd.args[0] !== undefined) {
    key = 'commander.unknownCommand';
    message = `error: unknown command '${cmd.args[0]}'`;
  }
  const re = key ? USAGE_ERRORS[key] : undefined;
  const m = re?.exec(message);
  if (!key || !m) return message;
  const params = { ...m.groups, bin: `amo-${commandPath(cmd)[0]}` };
  const suggestion = /\(Did you mean (?:one of )?(.+)\?\)/.exec(message)?.[1];
  const text = t(`help.error.${key.slice('commander.'.length)}`, params);
  return suggestion ? `${text}\n${t('help.error.didYouMean', { names: suggestion })}` : text;
}
