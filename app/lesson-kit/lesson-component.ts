// Turns a compiled lesson into a React component once per content hash, on the server and in
// the browser alike. The browser gets the code as a static script (/lesson-code/<hash>.js), so
// the Content-Security-Policy needs no 'unsafe-eval'.
import type { ComponentType } from "react";
import * as React from "react";
import * as ReactDOM from "react-dom";
import * as jsxRuntime from "react/jsx-runtime";

type LessonComponent = ComponentType<{ components?: Record<string, unknown> }>;
/** mdx-bundler's code, called with the globals it expects; returns the lesson's exports. */
export type LessonFactory = (
  react: typeof React,
  reactDom: typeof ReactDOM,
  jsx: typeof jsxRuntime,
) => { default: LessonComponent };

declare global {
  // Filled by /lesson-code/<hash>.js scripts.
  var __flywheelLessons: Record<string, LessonFactory> | undefined;
}

const components = new Map<string, LessonComponent>();

export function registerLessonFactory(hash: string, factory: LessonFactory): void {
  globalThis.__flywheelLessons ??= {};
  globalThis.__flywheelLessons[hash] ??= factory;
}

/** Drops a lesson's code and component: the studio's previews are many and short-lived. */
export function forgetLesson(hash: string): void {
  delete globalThis.__flywheelLessons?.[hash];
  components.delete(hash);
}

export function hasLessonFactory(hash: string): boolean {
  return Boolean(globalThis.__flywheelLessons?.[hash]);
}

export function lessonComponent(hash: string): LessonComponent {
  let component = components.get(hash);
  if (!component) {
    const factory = globalThis.__flywheelLessons?.[hash];
    if (!factory) throw new Error(`The lesson ${hash} has not been loaded.`);
    component = factory(React, ReactDOM, jsxRuntime).default;
    components.set(hash, component);
  }
  return component;
}

export function lessonCodeUrl(hash: string): string {
  return `/lesson-code/${hash}.js`;
}

/** In the browser, before showing a lesson reached by client-side navigation. */
export function loadLessonCode(hash: string, src = lessonCodeUrl(hash)): Promise<void> {
  if (hasLessonFactory(hash)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error("The lesson could not be loaded. Check your connection and reload."));
    document.head.append(script);
  });
}

/** The script file's text: the compiled code wrapped as a factory registered under its hash. */
export function lessonScript(hash: string, code: string): string {
  return `(self.__flywheelLessons??={})[${JSON.stringify(hash)}]=function(React,ReactDOM,_jsx_runtime){${code}\n};`;
}
