import { useMemo } from "react";
import { lessonComponent, lessonCodeUrl } from "./lesson-component";
import { lessonKit } from "./components";

/**
 * Renders a compiled lesson. The script tag travels inside server HTML so the code is defined
 * before hydration; React leaves inner HTML alone when hydrating, and on client navigation
 * the route's clientLoader has loaded the code already. `src`: where the script is served (the
 * studio's preview serves a draft's from its own route).
 */
export function LessonBody({ hash, src = lessonCodeUrl(hash) }: { hash: string; src?: string }) {
  const Content = useMemo(() => lessonComponent(hash), [hash]);
  return (
    <>
      <div hidden dangerouslySetInnerHTML={{ __html: `<script src="${src}"></script>` }} />
      <div className="lesson">
        {/* eslint-disable-next-line react-hooks/static-components -- lessonComponent returns the same component for a hash (cached in its module), so it is not recreated on render */}
        <Content components={lessonKit} />
      </div>
    </>
  );
}
