import { Component, type ComponentType, lazy, type ReactNode, Suspense } from 'react';

/**
 * A page whose code loads when it is first opened, not with everyone's first screen (the initial
 * JavaScript has a budget: see the README). `load` imports the module and picks the component.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((component) => ({ default: component })));
  return function LazyPage(props: P) {
    return (
      <LoadBoundary>
        <Suspense fallback={null}>
          <Lazy {...props} />
        </Suspense>
      </LoadBoundary>
    );
  };
}

/**
 * A chunk that cannot be fetched (offline, or a new build replaced the old chunks while this tab was
 * open) must not take the whole app down with it: the page says so and offers a reload.
 */
class LoadBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="room load-failed">
        <div className="welcome">
          <p role="alert">This page could not be loaded.</p>
          <button type="button" className="primary" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      </main>
    );
  }
}
