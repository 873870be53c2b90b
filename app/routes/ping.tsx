// The smallest page of the app: no session, no database. The benchmark measures it as the
// framework's floor (what any React Router page of this build costs).
export default function Ping() {
  return <p className="p-4">Flywheel is up.</p>;
}
