-- AlterTable
ALTER TABLE "OrganisationMember" ADD COLUMN     "invitedById" TEXT;

-- AddForeignKey
ALTER TABLE "OrganisationMember" ADD CONSTRAINT "OrganisationMember_invitedById_fkey" FOREIGN KEY ("invitedById") REFERENCES "Coordinator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

