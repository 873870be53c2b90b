import { data } from "react-router";

export function loader() {
  throw data(
    { message: "We couldn't find that page. The link may be old, or the page may have moved." },
    { status: 404 },
  );
}

export function action() {
  throw data({ message: "We couldn't find that page." }, { status: 404 });
}

export default function NotFound() {
  return null;
}
