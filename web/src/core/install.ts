// Whether to guide the user to "Add to Home Screen". Safari on iPhone and iPad gives no
// install prompt, and a site used only in a Safari tab can have its storage cleared after
// some days without a visit — for an app whose only copy of the ledger may be this phone,
// that is the one way to lose records we cannot repair. Installed, the app keeps its
// storage and can receive notifications (iOS 16.4+).

export interface InstallEnv {
  userAgent: string;
  maxTouchPoints: number;
  /** running as an installed (home-screen) app */
  standalone: boolean;
}

export function isStandalone(): boolean {
  try {
    return matchMedia("(display-mode: standalone)").matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
  } catch {
    return false;
  }
}

export function browserInstallEnv(): InstallEnv {
  if (typeof navigator === "undefined") return { userAgent: "", maxTouchPoints: 0, standalone: false };
  return { userAgent: navigator.userAgent, maxTouchPoints: navigator.maxTouchPoints ?? 0, standalone: isStandalone() };
}

/** An iPhone, iPod or iPad (iPadOS says "Macintosh" but has a touch screen). */
export function isAppleMobile(env: InstallEnv): boolean {
  return /\b(iPhone|iPad|iPod)\b/.test(env.userAgent) || (/\bMacintosh\b/.test(env.userAgent) && env.maxTouchPoints > 1);
}

/** Show the guide: an Apple phone or tablet, in a browser tab rather than installed. */
export function needsInstallGuide(env: InstallEnv): boolean {
  return isAppleMobile(env) && !env.standalone;
}

const DISMISSED = "gfms.install-guide.dismissed";

/** Whether the user already said "not now" on this device (once is enough). */
export function installGuideDismissed(storage: Pick<Storage, "getItem"> | null = safeLocalStorage()): boolean {
  try {
    return storage?.getItem(DISMISSED) === "1";
  } catch {
    return false;
  }
}

export function dismissInstallGuide(storage: Pick<Storage, "setItem"> | null = safeLocalStorage()): void {
  try {
    storage?.setItem(DISMISSED, "1");
  } catch {
    // private mode or storage off: the guide shows again next time, which is harmless
  }
}

function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
