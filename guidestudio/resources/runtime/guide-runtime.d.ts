// Types for the Guide Studio runtime (guide-runtime.js). Behaviour: docs/runtime.md; bundle
// contract: docs/bundle-format.md and schemas/bundle.schema.json; decisions: docs/eligibility.md.
// Usable as `require('./guide-runtime.js')`, `import GuideStudio from ...` (esModuleInterop) and
// as the global `GuideStudio` of a classic <script>.

export = GuideStudio;
export as namespace GuideStudio;

declare const GuideStudio: GuideStudio.Runtime;

declare namespace GuideStudio {
  type Attributes = {[name: string]: unknown};
  /** A GrowthBook condition (Mongo-like operators, dotted attribute paths). */
  type Condition = {[key: string]: unknown};
  type Layout = 'tooltip' | 'modal' | 'banner' | 'hotspot' | 'checklist' | 'survey';
  type Placement = 'top' | 'bottom' | 'left' | 'right' | 'auto';
  type Outcome = 'dismissed' | 'completed' | 'cta_clicked' | 'snoozed' | 'goal_reached';
  type BucketRange = [number, number];

  interface Action {
    action: 'next' | 'back' | 'dismiss' | 'snooze' | 'complete' | 'url' | 'event' | 'guide';
    url?: string;
    new_tab?: boolean;
    event?: string;
    guide?: string;
    hours?: number;
  }

  interface Step {
    id: string;
    layout: Layout;
    /** Pre-rendered, escaped markup per locale. */
    html: {[locale: string]: string};
    anchor?: {selector: string; placement?: Placement; offset?: number};
    if_missing: 'skip' | 'wait' | 'modal';
    wait_seconds?: number;
    actions: Action[];
    items?: Array<{id: string; event: string; due_days?: number}>;
    survey?: {type: 'nps'};
    tokens?: string[];
  }

  interface Guide {
    id: string;
    name: string;
    kind: 'tooltip' | 'modal' | 'walkthrough' | 'banner' | 'hotspot' | 'checklist' | 'survey';
    status: 'draft' | 'staged' | 'live';
    priority: number;
    theme: string;
    exempt_from_throttle: boolean;
    audience: {segments: string[]; condition: Condition};
    trigger: {on: 'page_view' | 'click' | 'event' | 'delay'; url?: string; selector?: string; event?: string; seconds?: number};
    schedule: {start?: string; end?: string};
    frequency: {max_shows?: number; cooldown_hours?: number; stop_after: Outcome[]};
    goal?: {event: string; within_days?: number};
    experiment?: {
      key: string;
      seed: string;
      coverage: number;
      control_weight?: number;
      namespace?: [string, number, number];
      /** Keys in bucket order, "control" first when control_weight > 0. */
      variations: string[];
      weights: number[];
      /** GrowthBook's names: the user attribute hashed (a top-level name, read literally) and the hash version. */
      hashAttribute: string;
      hashVersion: 2;
    };
    display: {
      position?: 'top' | 'bottom' | 'center' | 'bottom-right' | 'bottom-left';
      push?: boolean;
      backdrop?: boolean;
      close_button?: boolean;
      width?: number;
    };
    variants: Array<{key: string; weight: number; steps: Step[]}>;
  }

  interface Bundle {
    format: 'guidestudio-bundle';
    format_version: 1;
    project: {id: string; name: string};
    environment: 'production' | 'staging' | 'preview';
    generated_at?: string;
    default_locale: string;
    locales: string[];
    hash_attribute: string;
    timezone: string;
    throttle: {min_minutes_between?: number; max_per_session?: number; max_per_day?: number};
    theme_css: string;
    guides: Guide[];
    /** "sha256:<hex>" over the canonical JSON (RFC 8785) of the bundle without this key and `signature`. */
    checksum: string;
    /** `export --sign`: "ed25519:<base64>", Ed25519 over the same text as the checksum (UTF-8). */
    signature?: string;
  }

  type Reason =
    | 'eligible'
    | 'schedule_not_started' | 'schedule_ended'
    | 'audience'
    | 'no_hash_attribute' | 'not_in_namespace' | 'not_in_experiment' | 'control'
    | 'stopped' | 'snoozed' | 'frequency_cap' | 'cooldown'
    | 'throttle_gap' | 'throttle_session' | 'throttle_day'
    /** The guide cannot be decided (a field the runtime reads is broken); a runtime_error names it. */
    | 'runtime_error';

  interface Decision {
    eligible: boolean;
    reason: Reason;
    /** For `stopped`: the outcome; for `audience`: the first failing clause (for humans); else "". */
    detail: string;
    /** The variant key for `eligible`, "control" for `control`, else null. */
    variant: string | null;
  }

  type RuntimeEvent =
    | 'guide_shown' | 'step_shown' | 'step_error' | 'guide_dismissed' | 'guide_snoozed' | 'guide_completed'
    | 'cta_clicked' | 'survey_response' | 'checklist_item_done' | 'experiment_viewed' | 'goal_reached' | 'runtime_error';

  interface EventProps {
    guide_id?: string;
    variant?: string | null;
    experiment?: string | null;
    step?: number;
    /** step_error: the anchor selector and why ('not_found' | 'invalid_selector' | 'timeout'). */
    selector?: string;
    reason?: string;
    /** cta_clicked: the action, and its url / event / guide. */
    action?: Action['action'];
    url?: string;
    event?: string;
    guide?: string;
    /** guide_snoozed */
    hours?: number;
    until?: number;
    /** survey_response */
    score?: number;
    comment?: string;
    /** checklist_item_done */
    item?: string;
    /** goal_reached: the goal event */
    goal?: string;
    /** runtime_error */
    message?: string;
    [extra: string]: unknown;
  }

  /** localStorage-like; either method may throw. */
  interface StorageLike {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
  }

  interface InitOptions {
    bundle: Bundle;
    /**
     * An Ed25519 public key: base64 of its raw 32 bytes (`guidestudio keygen` prints it). Given it, a
     * bundle is used only once its `signature` verifies (asynchronously, with WebCrypto); an unsigned or
     * tampered bundle is refused with a runtime_error. Without it, bundles are used as before.
     */
    publicKey?: string;
    /** User attributes: {id, plan, …}; dotted paths reach nested objects. */
    user?: Attributes;
    /** A bundle locale; falls back to the bundle's default_locale. */
    locale?: string;
    /** Defaults to window.localStorage (when accessible). */
    storage?: StorageLike;
    /** Every runtime event, and the `event` button actions' own event names. */
    onEvent?: (name: RuntimeEvent | string, props: EventProps) => void;
    /** Clock in epoch milliseconds; defaults to Date.now. */
    now?: () => number;
    /** Where guides are mounted; defaults to document.body. */
    root?: Element;
    /** The page URL to use instead of location.href (tests, previews). */
    url?: string;
    /** Render guides in an open shadow root (on a <guide-studio> element in `root`): host CSS cannot restyle them. */
    shadow?: boolean;
    /** A CSP nonce for the theme's <style>, used only where constructable stylesheets are missing. */
    nonce?: string;
  }

  interface ShowOptions {
    variant?: string;
    /** Step index to start at. */
    step?: number;
    locale?: string;
  }

  interface Instance {
    /** A route change (SPA): re-runs page_view and delay triggers. Without a URL, location.href. */
    page(url?: string): void;
    /** A product event: counts it, fires `event` triggers, ticks checklist items, reaches goals. */
    track(name: string, props?: {[key: string]: unknown}): void;
    /** Preview/debug: show a guide regardless of eligibility. */
    show(guideId: string, options?: ShowOptions): void;
    /** Live preview: replace the bundle or one guide; a showing guide re-renders at its current step. */
    update(bundleOrGuide: Bundle | Guide): void;
    /** The eligibility decision now (docs/eligibility.md); null for an unknown guide or no bundle. */
    decide(guideId: string): Decision | null;
    /** Close what is showing and remove every listener, timer and the injected stylesheet. */
    destroy(): void;
  }

  interface Targeting {
    evalCondition(attributes: Attributes, condition: Condition, savedGroups?: {[id: string]: unknown[]}): boolean;
    hash(seed: string, value: string, version: number): number | null;
    getBucketRanges(n: number, coverage?: number, weights?: number[] | null): BucketRange[];
    chooseVariation(n: number, ranges: BucketRange[]): number;
    inNamespace(hashValue: string, namespace: [string, number, number]): boolean;
    getEqualWeights(n: number): number[];
    paddedVersionString(version: unknown): string;
  }

  interface Runtime {
    init(options: InitOptions): Instance;
    targeting: Targeting;
    version: string;
    FORMAT_VERSION: 1;
  }
}
