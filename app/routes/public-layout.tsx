import { Outlet } from "react-router";

export default function PublicLayout() {
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-10 sm:py-16">
      <a href="/" className="mb-8 flex items-center gap-2 text-xl font-bold text-slate-900 no-underline">
        <img src="/favicon.svg" alt="" width={28} height={28} />
        Flywheel
      </a>
      <main className="w-full max-w-md">
        <Outlet />
      </main>
    </div>
  );
}
