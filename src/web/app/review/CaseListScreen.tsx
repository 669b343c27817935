import { ReviewScreen } from "./ReviewScreen.tsx";

/** All cases being worked on: the review screen opened on dispatched and handled cases (verification). */
export function CaseListScreen() {
  return <ReviewScreen initialState="handled" />;
}
